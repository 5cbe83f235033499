namespace CatSyphon.ApiService.Apis.People;

/// <summary>What an account's fields must hold, and the form an email is looked up by.</summary>
internal static class AccountRules
{
    public static string Normalize(string email) => email.Trim().ToUpperInvariant();

    public static void ValidateEmail(string? email, Dictionary<string, string[]> errors)
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > ColumnLimits.Email || trimmed.IndexOf('@') is <= 0 || trimmed.EndsWith('@')
            || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors["email"] = [$"email is required: an address such as ada@example.com, at most {ColumnLimits.Email} characters."];
        }
    }

    public static void ValidateDisplayName(string? name, Dictionary<string, string[]> errors) => ValidateName(name, "display_name", errors);

    /// <summary>A name people give (a display name, a token's name): 1 to <see cref="ColumnLimits.Name"/> printable characters.</summary>
    public static void ValidateName(string? name, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > ColumnLimits.Name || name.Any(char.IsControl))
        {
            errors[field] = [$"{field} is required: 1 to {ColumnLimits.Name} printable characters."];
        }
    }

    public static void ValidatePassword(string? password, Dictionary<string, string[]> errors)
    {
        if (Passwords.Problem(password) is { } problem)
        {
            errors["password"] = [problem];
        }
    }

    /// <summary>True when <paramref name="owner"/> is the only active owner of their organization: nobody may demote, disable or delete them.</summary>
    public static Task<bool> IsLastOwnerAsync(CatSyphonDbContext db, User owner, CancellationToken cancellationToken) =>
        db.Users.AllAsync(u => u.Id == owner.Id || u.OrganizationId != owner.OrganizationId || u.OrganizationRole != OrganizationRole.Owner || u.DisabledAt != null,
            cancellationToken);

    public static UserView View(User user) => new(
        user.Id, user.Email, user.DisplayName, user.OrganizationRole, user.PasswordHash is not null, user.DisabledAt is not null, user.CreatedAt, user.LastSignInAt);
}
