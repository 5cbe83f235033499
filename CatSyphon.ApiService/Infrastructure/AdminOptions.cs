using System.ComponentModel.DataAnnotations;

namespace CatSyphon.ApiService.Infrastructure;

/// <summary>The admin token comes from configuration (the app host's secret <c>admin-token</c> parameter), never from code.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    [Required(ErrorMessage = "Admin:Token must be configured; the app host passes its admin-token parameter.")]
    [MinLength(32, ErrorMessage = "Admin:Token must be at least 32 characters long.")]
    public string Token { get; set; } = "";

    /// <summary>
    /// False turns the admin token off once an active organization owner exists (people then sign in as themselves); the
    /// token keeps working on a server without one, so nobody is ever locked out.
    /// </summary>
    public bool TokenEnabled { get; set; } = true;
}
