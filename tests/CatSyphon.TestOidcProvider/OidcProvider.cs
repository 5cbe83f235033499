using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CatSyphon.TestOidcProvider;

/// <summary>A person the provider signs in, chosen by email.</summary>
/// <param name="Groups">Sent as the <c>groups</c> claim of the ID token (a string when there is one, an array otherwise, as real providers do).</param>
public sealed record TestOidcUser(string Email, string Name, IReadOnlyList<string> Groups)
{
    /// <summary>The provider's own id of the person (<c>sub</c>): unlike the email, it never changes.</summary>
    public string Subject { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>The <c>email_verified</c> claim.</summary>
    public bool EmailVerified { get; init; } = true;
}

/// <summary>A registered client (relying party): confidential with a secret, public without one; PKCE is required either way.</summary>
public sealed record TestOidcClient(string ClientId, string? ClientSecret, IReadOnlyList<Uri> RedirectUris);

/// <summary>
/// A real OpenID Connect provider (OpenIddict's server) on a free loopback port of the test's own process, standing in
/// for Entra ID or Okta: a discovery document, a JWKS with an ephemeral RSA key, the authorization code flow with PKCE,
/// and signed ID tokens carrying <c>sub</c>, <c>email</c>, <c>email_verified</c>, <c>name</c> and <c>groups</c>. Plain
/// HTTP, which a real provider would refuse. People sign in through a one-field form, or at once when the
/// authorization request names them with <c>login_hint</c>.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, TestOidcUser> users;

    private OidcProvider(WebApplication app, ConcurrentDictionary<string, TestOidcUser> users, Uri issuer)
    {
        this.app = app;
        this.users = users;
        Issuer = issuer;
    }

    /// <summary>The issuer (<c>http://127.0.0.1:port/</c>): the authority a relying party is configured with.</summary>
    public Uri Issuer { get; }

    public Uri AuthorizationEndpoint => new(Issuer, AuthorizeEndpoint.Path);

    public Uri TokenEndpoint => new(Issuer, TokenPath);

    private const string TokenPath = "connect/token";

    public static async Task<OidcProvider> StartAsync(IEnumerable<TestOidcClient> clients, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var users = new ConcurrentDictionary<string, TestOidcUser>(StringComparer.OrdinalIgnoreCase);
        builder.Services.AddSingleton(users);
        var database = $"test-oidc-provider-{Guid.NewGuid():N}";
        builder.Services.AddDbContext<DbContext>(options => options.UseInMemoryDatabase(database).UseOpenIddict());
        builder.Services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<DbContext>())
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris(AuthorizeEndpoint.Path).SetTokenEndpointUris(TokenPath);
                options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                options.RegisterScopes(Scopes.Email, Scopes.Profile);
                // Keys made at start and gone at stop: every provider signs with a key of its own.
                options.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                // The token endpoint is OpenIddict's own (the code's principal becomes the tokens); only sign-in is ours.
                options.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            });

        var app = builder.Build();
        app.MapAuthorizeEndpoint();
        await app.StartAsync(cancellationToken);
        try
        {
            await RegisterAsync(app.Services, clients, cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            return new OidcProvider(app, users, new Uri(address.TrimEnd('/') + "/"));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Registers another client, e.g. one whose redirect URI is known only once its relying party has started.</summary>
    public Task AddClientAsync(TestOidcClient client, CancellationToken cancellationToken = default) =>
        RegisterAsync(app.Services, [client], cancellationToken);

    /// <summary>Adds or replaces (by email) a person the provider signs in.</summary>
    public TestOidcUser AddUser(TestOidcUser user)
    {
        users[user.Email] = user;
        return user;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static async Task RegisterAsync(IServiceProvider services, IEnumerable<TestOidcClient> clients, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        foreach (var client in clients)
        {
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = client.ClientId,
                ClientSecret = client.ClientSecret,
                ClientType = client.ClientSecret is null ? ClientTypes.Public : ClientTypes.Confidential,
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode,
                    Permissions.ResponseTypes.Code, Permissions.Scopes.Email, Permissions.Scopes.Profile,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            };
            descriptor.RedirectUris.UnionWith(client.RedirectUris);
            await manager.CreateAsync(descriptor, cancellationToken);
        }
    }
}
