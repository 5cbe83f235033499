using System.ComponentModel.DataAnnotations;

namespace CatSyphon.ApiService.Infrastructure;

/// <summary>How the API sees its collectors (configuration section <c>Collectors</c>).</summary>
public sealed class CollectorOptions
{
    public const string SectionName = "Collectors";

    /// <summary>A collector with no contact for this long is listed as stale.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00", ErrorMessage = "Collectors:StaleAfter must be between 1 second and 365 days.")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a resolved key is used before it is checked again (in the background).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Collectors:KeyCacheLifetime must be between 1 second and 1 hour.")]
    public TimeSpan KeyCacheLifetime { get; set; } = TimeSpan.FromSeconds(60);
}
