namespace CatSyphon.ApiService.Apis.People;

/// <summary>The account a checked OpenID Connect identity signs in to, or why it signs in to none.</summary>
/// <param name="User">Also set with a refusal that concerns an existing account, which the audit entry then names.</param>
/// <param name="Refusal">A reason for the audit log (<see cref="OidcAccounts.Explain"/> gives the person's words), or null.</param>
internal sealed record OidcAccountMatch(User? User, string? Refusal);

/// <summary>
/// Maps an OpenID Connect identity to an account. A linked account is found by the provider's issuer and subject, which
/// never change (the email may). The email finds an account only the first time, which links it; an email the provider
/// says is unverified finds nothing, since whoever typed it in at the provider would take the account over. Changes are
/// added to the context, saved with the sign-in's session (<see cref="SignInSessions"/>); a refusal changes nothing.
/// </summary>
internal static class OidcAccounts
{
    public const string Method = "oidc";

    public static async Task<OidcAccountMatch> FindAsync(
        CatSyphonDbContext db, AuditTrail audit, OidcIdentity identity, OidcOptions options, CancellationToken cancellationToken)
    {
        if (identity.Issuer.Length > ColumnLimits.Identifier || identity.Subject.Length > ColumnLimits.Identifier)
        {
            return new(null, "identifier_too_long");
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.ExternalIssuer == identity.Issuer && u.ExternalSubject == identity.Subject, cancellationToken);
        if (user is null)
        {
            var match = await FindByEmailAsync(db, audit, identity, options, cancellationToken);
            if (match.Refusal is not null || match.User is null)
            {
                return match;
            }

            user = match.User;
        }

        if (user.DisabledAt is not null)
        {
            return new(user, "disabled");
        }

        if (user.ExternalSubject is null)
        {
            user.ExternalIssuer = identity.Issuer;
            user.ExternalSubject = identity.Subject;
            audit.RecordAs(db, $"user:{user.Id}", null, "user.linked", "user", user.Id.ToString(), new { identity.Issuer, identity.Subject });
        }

        await ApplyGroupsAsync(db, audit, user, identity, options, cancellationToken);
        return new(user, null);
    }

    /// <summary>What the person is told for a refusal: they proved who they are, so it may say what is wrong with their account.</summary>
    public static string Explain(string refusal) => refusal switch
    {
        "no_email" => "The provider's ID token holds no email address, which this server needs to find your account.",
        "email_not_verified" => "The provider has not verified your email address.",
        "no_account" => "There is no account for your email address: ask an administrator to invite you.",
        "linked_to_another_identity" => "The account with your email address signs in with another identity of the provider.",
        "disabled" => "Your account is disabled.",
        _ => "The provider's identity cannot sign in here.",
    };

    /// <summary>The account of the identity's email, new when none exists and accounts are created at first sign-in.</summary>
    private static async Task<OidcAccountMatch> FindByEmailAsync(
        CatSyphonDbContext db, AuditTrail audit, OidcIdentity identity, OidcOptions options, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        AccountRules.ValidateEmail(identity.Email, errors);
        if (errors.Count > 0)
        {
            return new(null, "no_email");
        }

        if (identity.EmailVerified is false)
        {
            return new(null, "email_not_verified");
        }

        var email = AccountRules.Normalize(identity.Email!);
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == email, cancellationToken);
        if (user is { ExternalSubject: not null })
        {
            return new(user, "linked_to_another_identity");
        }

        if (user is not null)
        {
            return new(user, null);
        }

        if (!options.CreatesAccounts)
        {
            return new(null, "no_account");
        }

        AccountRules.ValidateDisplayName(identity.Name, errors);
        user = new User
        {
            OrganizationId = await DefaultOrganization.GetOrCreateAsync(db, cancellationToken),
            Email = identity.Email!,
            NormalizedEmail = email,
            // The provider's name for the person when it would do as one typed in here, else the email.
            DisplayName = errors.Count == 0 ? identity.Name! : identity.Email!,
        };
        db.Users.Add(user);
        audit.RecordAs(db, $"user:{user.Id}", null, "user.created", "user", user.Id.ToString(),
            new { user.Email, user.OrganizationRole, HasPassword = false, Method });
        return new(user, null);
    }

    /// <summary>
    /// With <see cref="OidcOptions.GroupsClaim"/> set, the provider's groups decide the organization role at every sign-in,
    /// so removing someone from a group at the provider takes their role away here. The one exception is the rule every
    /// role change keeps: the organization's last active owner stays an owner.
    /// </summary>
    private static async Task ApplyGroupsAsync(
        CatSyphonDbContext db, AuditTrail audit, User user, OidcIdentity identity, OidcOptions options, CancellationToken cancellationToken)
    {
        if (options.GroupsClaim is null)
        {
            return;
        }

        var role = options.RoleFor(identity.Groups);
        if (role == user.OrganizationRole
            || (user.OrganizationRole == OrganizationRole.Owner && await AccountRules.IsLastOwnerAsync(db, user, cancellationToken)))
        {
            return;
        }

        audit.RecordAs(db, $"user:{user.Id}", null, "user.updated", "user", user.Id.ToString(),
            new { PreviousRole = user.OrganizationRole, OrganizationRole = role, From = "groups" });
        user.OrganizationRole = role;
    }
}
