using System.ComponentModel.DataAnnotations;

namespace CatSyphon.Web.Services;

/// <summary>What the set-up commands shown to developers need to know of this installation.</summary>
public sealed class CollectorSetupOptions
{
    public const string SectionName = "CollectorSetup";

    /// <summary>
    /// The API's address as collectors on developers' machines reach it (the app host passes its endpoint); the
    /// development default is the README's. An http(s) address: it is pasted into the commands as it is.
    /// </summary>
    [Required, Url]
    public string ServerUrl { get; set; } = "http://localhost:8000";
}
