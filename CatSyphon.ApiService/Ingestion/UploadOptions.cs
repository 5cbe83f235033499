using System.ComponentModel.DataAnnotations;

namespace CatSyphon.ApiService.Ingestion;

/// <summary>Limits of <c>POST /api/uploads</c> (configuration section <c>Uploads</c>).</summary>
public sealed class UploadOptions
{
    public const string SectionName = "Uploads";

    /// <summary>Largest single file; a larger one is refused with 413 and nothing of the request is stored.</summary>
    [Range(1L, long.MaxValue, ErrorMessage = "Uploads:MaxFileBytes must be at least 1.")]
    public long MaxFileBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>Largest request (all files together).</summary>
    [Range(1L, long.MaxValue, ErrorMessage = "Uploads:MaxRequestBytes must be at least 1.")]
    public long MaxRequestBytes { get; set; } = 1024L * 1024 * 1024;
}
