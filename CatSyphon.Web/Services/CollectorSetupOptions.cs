using System.ComponentModel.DataAnnotations;

namespace CatSyphon.Web.Services;

/// <summary>What the set-up commands shown to developers need to know of this installation.</summary>
public sealed class CollectorSetupOptions
{
    public const string SectionName = "CollectorSetup";

    /// <summary>
    /// The API's address as collectors on developers' machines reach it: the installation's <c>PublicUrl</c> when it
    /// has one, otherwise what the app host passes (the API's endpoint); the development default is the README's. An
    /// http(s) address: it is pasted into the commands as it is.
    /// </summary>
    [Required, Url]
    public string ServerUrl { get; set; } = "http://localhost:8000";
}
