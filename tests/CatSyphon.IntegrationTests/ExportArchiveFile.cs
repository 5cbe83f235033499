using System.IO.Compression;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// An export archive saved to a temporary file (deleted on dispose) and read the way a person's tools would: the
/// manifest, and each JSON Lines file a line at a time, so a large archive is never held in the test's memory either.
/// </summary>
public sealed class ExportArchiveFile : IDisposable
{
    private readonly ZipArchive zip;

    private ExportArchiveFile(string path)
    {
        Path = path;
        zip = ZipFile.OpenRead(path);
        using var manifest = zip.GetEntry("manifest.json")!.Open();
        Manifest = JsonDocument.Parse(manifest).RootElement.Clone();
    }

    public string Path { get; }

    public JsonElement Manifest { get; }

    /// <summary>The size of all its files, uncompressed.</summary>
    public long UncompressedBytes => zip.Entries.Sum(entry => entry.Length);

    /// <summary>The files of the archive, manifest.json included.</summary>
    public IReadOnlyList<string> Names => zip.Entries.Select(entry => entry.FullName).ToList();

    /// <summary>Saves a 200 answer's body as it arrives; the answer must be a zip sent as an attachment.</summary>
    public static async Task<ExportArchiveFile> DownloadAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"catsyphon-export-{Guid.NewGuid():N}.zip");
        await using (var target = File.Create(file))
        {
            await response.Content.CopyToAsync(target);
        }

        return Open(file);
    }

    public static ExportArchiveFile Open(string path) => new(path);

    /// <summary>The lines of a JSON Lines file, parsed one at a time.</summary>
    public IEnumerable<JsonElement> Lines(string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        while (reader.ReadLine() is { } line)
        {
            using var document = JsonDocument.Parse(line);
            yield return document.RootElement.Clone();
        }
    }

    /// <summary>A file's line count, and the manifest must say the same.</summary>
    public long CountMatchingManifest(string name)
    {
        long count = 0;
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        while (reader.ReadLine() is not null)
        {
            count++;
        }

        Assert.Equal(count, Manifest.GetProperty("files").GetProperty(name).GetInt64());
        return count;
    }

    public void Dispose()
    {
        zip.Dispose();
        File.Delete(Path);
    }
}
