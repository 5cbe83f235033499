namespace CatSyphon.ApiService.Infrastructure;

/// <summary>PostgreSQL text cannot hold a NUL character: a person's or a client's string holding one is a 422, never a 500.</summary>
internal static class StorableText
{
    public static bool HasNul(string? value) => value?.Contains('\0') == true;

    /// <summary>The value with NULs spelled out, for naming it in an answer.</summary>
    public static string Printable(string value) => value.Replace("\0", "\\0", StringComparison.Ordinal);
}
