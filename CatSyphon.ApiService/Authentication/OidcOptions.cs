using CatSyphon.Protocol;

namespace CatSyphon.ApiService.Authentication;

/// <summary>
/// Sign-in through an OpenID Connect provider (Entra ID, Okta, Keycloak...): the web front end runs the code flow with
/// PKCE and hands the ID token to <c>POST /api/auth/oidc</c>, which checks it and maps it to an account. Off until
/// <see cref="Authority"/> is set.
/// </summary>
public sealed class OidcOptions
{
    public const string SectionName = "Oidc";

    public const string InviteOnly = "invite_only";
    public const string Automatic = "automatic";

    /// <summary>The provider's issuer URL; its discovery document is <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>The client id registered at the provider: the audience every accepted ID token must name.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The client's secret, which the front end's code exchange needs; the API checks ID tokens with the provider's
    /// public keys and never uses it. Part of this section so one set of <c>Oidc</c> settings describes the provider.
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>The provider's name on the sign-in page ("Sign in with {DisplayName}").</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>The ID token claim holding the person's email, which finds their account on first sign-in.</summary>
    public string EmailClaim { get; set; } = "email";

    /// <summary>The ID token claim listing the person's groups; set, the organization role follows <see cref="GroupRoles"/> at every sign-in.</summary>
    public string? GroupsClaim { get; set; }

    /// <summary>
    /// Group name (compared without regard to case, as configuration keys are) to organization role: <c>member</c>,
    /// <c>admin</c> or <c>owner</c>. A person gets the highest role of their groups, and <c>member</c> when none is listed.
    /// </summary>
    public Dictionary<string, string> GroupRoles { get; set; } = [];

    /// <summary>
    /// <c>invite_only</c>: only people who already have an account (created under /api/users) sign in;
    /// <c>automatic</c>: a person without one gets a member account at their first sign-in.
    /// </summary>
    public string AccountCreation { get; set; } = InviteOnly;

    /// <summary>False allows an <c>http://</c> authority: only for a provider on the same machine, such as the tests' own.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    public bool CreatesAccounts => AccountCreation == Automatic;

    /// <summary>The organization role <paramref name="groups"/> grant: the highest listed, or member.</summary>
    public OrganizationRole RoleFor(IEnumerable<string> groups)
    {
        var role = OrganizationRole.Member;
        foreach (var group in groups)
        {
            var listed = GroupRoles.FirstOrDefault(entry => string.Equals(entry.Key, group, StringComparison.OrdinalIgnoreCase)).Value;
            if (WireName.TryParse<OrganizationRole>(listed, out var granted) && granted > role)
            {
                role = granted.Value;
            }
        }

        return role;
    }
}

/// <summary>Refuses OpenID Connect settings that could not sign anyone in, or would sign in the wrong people, naming each setting.</summary>
public sealed class OidcOptionsValidator : IValidateOptions<OidcOptions>
{
    public ValidateOptionsResult Validate(string? name, OidcOptions options)
    {
        var errors = new List<string>();
        const string section = OidcOptions.SectionName;
        if (options.Enabled)
        {
            if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http")
                || !string.IsNullOrEmpty(authority.Query) || !string.IsNullOrEmpty(authority.Fragment))
            {
                errors.Add($"{section}:Authority must be the provider's issuer URL, such as https://login.example.com/tenant/v2.0.");
            }
            else if (authority.Scheme == "http" && options.RequireHttpsMetadata)
            {
                errors.Add($"{section}:Authority must be an https URL: its keys decide who signs in (set {section}:RequireHttpsMetadata=false only for a provider on this machine).");
            }

            if (string.IsNullOrWhiteSpace(options.ClientId))
            {
                errors.Add($"{section}:ClientId is required with {section}:Authority: ID tokens are accepted only for this client.");
            }
        }

        if (options.AccountCreation is not (OidcOptions.InviteOnly or OidcOptions.Automatic))
        {
            errors.Add($"{section}:AccountCreation must be {OidcOptions.InviteOnly} or {OidcOptions.Automatic}.");
        }

        if (string.IsNullOrWhiteSpace(options.EmailClaim))
        {
            errors.Add($"{section}:EmailClaim must name the ID token claim holding the email (usually email).");
        }

        if (string.IsNullOrWhiteSpace(options.DisplayName) || options.DisplayName.Length > ColumnLimits.Name)
        {
            errors.Add($"{section}:DisplayName must be 1 to {ColumnLimits.Name} characters.");
        }

        if (options.GroupRoles.Count > 0 && string.IsNullOrWhiteSpace(options.GroupsClaim))
        {
            errors.Add($"{section}:GroupRoles needs {section}:GroupsClaim, the ID token claim listing a person's groups.");
        }

        foreach (var (group, role) in options.GroupRoles.Where(entry => !WireName.TryParse<OrganizationRole>(entry.Value, out _)))
        {
            errors.Add($"{section}:GroupRoles:{group} is '{role}': it must be {string.Join(", ", WireName.All<OrganizationRole>())}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
