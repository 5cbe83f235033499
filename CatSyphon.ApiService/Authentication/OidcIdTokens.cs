using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CatSyphon.ApiService.Authentication;

/// <summary>Who an accepted ID token says the person is.</summary>
/// <param name="Email">Null when the token has no email claim.</param>
/// <param name="EmailVerified">The <c>email_verified</c> claim; null when the provider does not send it (Entra ID does not).</param>
public sealed record OidcIdentity(string Issuer, string Subject, string? Email, bool? EmailVerified, string? Name, IReadOnlyList<string> Groups);

/// <summary>An ID token's check: the identity, or why there is none (an error name for the audit log, never the token).</summary>
public sealed record OidcTokenCheck(OidcIdentity? Identity, string? Error)
{
    /// <summary>The provider's discovery document or keys could not be read: "try again later", not "who are you".</summary>
    public const string ProviderUnavailable = "provider_unavailable";
}

/// <summary>
/// Checks the ID tokens of the configured provider as the API's own relying party, trusting nothing the front end says
/// about them: the signature with the keys of the provider's discovery document and JWKS, the issuer the document
/// names, the audience (<see cref="OidcOptions.ClientId"/>, and the authorized party when the token names one) and the
/// lifetime. The document is cached and read again every 12 hours, and at once (at most every 5 minutes) when a token
/// is signed with a key it does not list, so the provider's key rollover needs no restart.
/// </summary>
public sealed class OidcIdTokens
{
    /// <summary>The HTTP client reading the discovery document and JWKS.</summary>
    public const string HttpClientName = "oidc-metadata";

    private readonly OidcOptions options;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? configuration;
    private readonly JsonWebTokenHandler handler = new();
    private readonly ILogger<OidcIdTokens> logger;

    public OidcIdTokens(IOptions<OidcOptions> options, IHttpClientFactory httpClients, ILogger<OidcIdTokens> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        if (this.options.Enabled)
        {
            var metadataAddress = this.options.Authority!.TrimEnd('/') + "/.well-known/openid-configuration";
            var retriever = new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName)) { RequireHttps = this.options.RequireHttpsMetadata };
            configuration = new ConfigurationManager<OpenIdConnectConfiguration>(metadataAddress, new OpenIdConnectConfigurationRetriever(), retriever);
        }
    }

    /// <summary>Checks <paramref name="idToken"/> (only while <see cref="OidcOptions.Enabled"/>).</summary>
    public async Task<OidcTokenCheck> CheckAsync(string idToken, CancellationToken cancellationToken)
    {
        if (configuration is null)
        {
            throw new InvalidOperationException("OpenID Connect sign-in is not configured.");
        }

        try
        {
            // Read (or taken from the cache) first, so a provider that cannot be reached is told apart from a bad token.
            await configuration.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException exception)
        {
            // What the configuration manager throws when it has no document and cannot read one (the cause inside).
            logger.LogWarning(exception, "The OpenID Connect provider's discovery document at {Authority} could not be read.", options.Authority);
            return new OidcTokenCheck(null, OidcTokenCheck.ProviderUnavailable);
        }

        var result = await handler.ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            // The issuer and signing keys come from the discovery document, refreshed when a token names an unknown key.
            ConfigurationManager = configuration,
            ValidAudience = options.ClientId,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
        });
        if (!result.IsValid)
        {
            var error = result.Exception?.GetType().Name ?? "invalid_token";
            logger.LogInformation("An ID token was refused: {Error}.", error);
            return new OidcTokenCheck(null, error);
        }

        var token = (JsonWebToken)result.SecurityToken;
        // OpenID Connect Core 3.1.3.7: a token naming an authorized party must name this client.
        if (token.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Azp, out var authorizedParty) && authorizedParty != options.ClientId)
        {
            return new OidcTokenCheck(null, "azp_mismatch");
        }

        if (string.IsNullOrEmpty(token.Subject))
        {
            return new OidcTokenCheck(null, "no_subject");
        }

        var groups = options.GroupsClaim is { } groupsClaim ? token.Claims.Where(c => c.Type == groupsClaim).Select(c => c.Value).ToList() : [];
        return new OidcTokenCheck(
            new OidcIdentity(token.Issuer, token.Subject, Text(token, options.EmailClaim), Flag(token, "email_verified"), Text(token, "name"), groups),
            null);
    }

    private static string? Text(JsonWebToken token, string claim) =>
        token.TryGetPayloadValue<string>(claim, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>A boolean claim, which some providers send as the string "true".</summary>
    private static bool? Flag(JsonWebToken token, string claim) =>
        token.TryGetPayloadValue<bool>(claim, out var flag) ? flag
        : token.TryGetPayloadValue<string>(claim, out var text) && bool.TryParse(text, out var parsed) ? parsed
        : null;
}

