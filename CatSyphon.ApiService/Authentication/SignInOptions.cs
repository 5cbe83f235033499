using System.ComponentModel.DataAnnotations;

namespace CatSyphon.ApiService.Authentication;

/// <summary>Sign-in with a password (<c>POST /api/auth/login</c>) and the access tokens it returns.</summary>
public sealed class SignInOptions
{
    public const string SectionName = "SignIn";

    /// <summary>How long a sign-in's access token lasts: a working day by default; sign-out ends it sooner.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00", ErrorMessage = "SignIn:AccessTokenLifetime must be between 5 minutes and 7 days.")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Failed sign-ins of one account within <see cref="FailureWindow"/> before it answers 429.</summary>
    [Range(1, 1000, ErrorMessage = "SignIn:MaxFailuresPerAccount must be between 1 and 1000.")]
    public int MaxFailuresPerAccount { get; set; } = 5;

    /// <summary>Failed sign-ins from one address within <see cref="FailureWindow"/> before it answers 429.</summary>
    [Range(1, 100_000, ErrorMessage = "SignIn:MaxFailuresPerAddress must be between 1 and 100000.")]
    public int MaxFailuresPerAddress { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "SignIn:FailureWindow must be between 1 second and 1 day.")]
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);
}
