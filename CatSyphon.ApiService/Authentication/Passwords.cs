using Microsoft.AspNetCore.Identity;

namespace CatSyphon.ApiService.Authentication;

/// <summary>Passwords of local accounts: ASP.NET Core Identity's hasher (PBKDF2), and the rule a new password follows.</summary>
public sealed class Passwords(IPasswordHasher<User> hasher)
{
    public const int MinLength = 12;

    /// <summary>Bounds the hashing work one request can ask for.</summary>
    public const int MaxLength = 1024;

    /// <summary>Compared against when the account does not exist, so an unknown email takes as long as a wrong password.</summary>
    private readonly Lazy<string> decoy = new(() => hasher.HashPassword(new User { Email = "", NormalizedEmail = "", DisplayName = "" }, Guid.NewGuid().ToString()));

    public static string? Problem(string? password) =>
        password is null || password.Length < MinLength || password.Length > MaxLength
            ? $"password must be {MinLength} to {MaxLength} characters."
            : null;

    public string Hash(User user, string password) => hasher.HashPassword(user, password);

    /// <summary>True when <paramref name="password"/> is the account's; rehashes it in place when Identity asks to.</summary>
    public bool Verify(User? user, string password)
    {
        if (user?.PasswordHash is not { } hash)
        {
            hasher.VerifyHashedPassword(user ?? new User { Email = "", NormalizedEmail = "", DisplayName = "" }, decoy.Value, password);
            return false;
        }

        var result = hasher.VerifyHashedPassword(user, hash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
        }

        return result != PasswordVerificationResult.Failed;
    }
}
