using CatSyphon.Web.Api;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace CatSyphon.Web.Authentication;

/// <summary>
/// A circuit lives on after its page loaded; this asks the API every half minute whether its session still stands, and
/// signs the circuit out when it does not (signed out elsewhere, disabled, or its token expired).
/// </summary>
internal sealed class RevalidatingSessionStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (SignedInPerson.From(authenticationState.User) is not { } person)
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        try
        {
            return await scope.ServiceProvider.GetRequiredService<CatSyphonApi>().AcceptsTokenAsync(person.AccessToken, cancellationToken);
        }
        catch (ApiException)
        {
            // The API is unreachable right now: keep the circuit, the pages say so themselves.
            return true;
        }
    }
}
