using CatSyphon.Web.Api;

namespace CatSyphon.Web.Authentication;

/// <summary>Turns the API's answer to a sign-in into the browser session: who the token belongs to, for as long as it lasts.</summary>
public static class PersonSignIn
{
    public static async Task CompleteAsync(CatSyphonApi api, HttpContext context, LoginResponse login, CancellationToken cancellationToken) =>
        await WebSessions.SignInAsync(context, await PersonAsync(api, login, cancellationToken), login.ExpiresAt);

    /// <summary>The person the sign-in's access token belongs to, as the session will hold them.</summary>
    public static async Task<SignedInPerson> PersonAsync(CatSyphonApi api, LoginResponse login, CancellationToken cancellationToken)
    {
        var me = await api.GetMeAsync(login.AccessToken, cancellationToken);
        return new SignedInPerson(me.Id!.Value, me.DisplayName, me.Email ?? "", me.OrganizationRole, login.AccessToken);
    }
}
