using System.Buffers;
using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CatSyphon.ApiService.Apis.Export;

/// <summary>
/// A zip archive written front to back onto a stream that cannot seek (the response body): one entry at a time, each
/// entry's data descriptor after its data (what ZipArchive does on a non-seekable stream), every write to the body
/// asynchronous (see <see cref="DeferredWriteStream"/>).
/// Rows are serialized into a small buffer that is handed to the entry whenever it passes <see cref="FlushBytes"/>, so
/// memory holds one buffer and one row, whatever the size of the export.
/// </summary>
internal sealed class ExportArchive : IAsyncDisposable
{
    /// <summary>What is collected before a write to the entry: large enough for few writes, small enough to not matter.</summary>
    private const int FlushBytes = 64 * 1024;

    // Relaxed escaping: the files are data, never embedded in HTML, and stay readable (and smaller) with non-ASCII text.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly DeferredWriteStream body;
    private readonly ZipArchive zip;
    private readonly Dictionary<string, long> lines = new(StringComparer.Ordinal);

    private ExportArchive(DeferredWriteStream body, ZipArchive zip) => (this.body, this.zip) = (body, zip);

    /// <summary>The number of lines written to each JSON Lines file so far.</summary>
    public IReadOnlyDictionary<string, long> Lines => lines;

    public static async Task<ExportArchive> CreateAsync(Stream output, CancellationToken cancellationToken)
    {
        var body = new DeferredWriteStream(output);
        return new(body, await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken));
    }

    /// <summary>Writes <paramref name="rows"/> as the JSON Lines file <paramref name="name"/>, one row a line, as they arrive.</summary>
    public async Task WriteLinesAsync<T>(string name, IAsyncEnumerable<T> rows, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushBytes * 2);
        await using var json = new Utf8JsonWriter(buffer, WriterOptions);
        long count = 0;
        await using (var entry = await zip.CreateEntry(name, CompressionLevel.Fastest).OpenAsync(cancellationToken))
        {
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                JsonSerializer.Serialize(json, row, type);
                json.Flush();
                json.Reset();
                buffer.Write("\n"u8);
                count++;
                if (buffer.WrittenCount >= FlushBytes)
                {
                    await entry.WriteAsync(buffer.WrittenMemory, cancellationToken);
                    buffer.ResetWrittenCount();
                }
            }

            await entry.WriteAsync(buffer.WrittenMemory, cancellationToken);
        }

        await body.DrainAsync(cancellationToken);
        lines[name] = count;
    }

    /// <summary>Writes one JSON document as the file <paramref name="name"/> (the manifest).</summary>
    public async Task WriteDocumentAsync<T>(string name, T document, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        await using (var entry = await zip.CreateEntry(name, CompressionLevel.Fastest).OpenAsync(cancellationToken))
        {
            await JsonSerializer.SerializeAsync(entry, document, type, cancellationToken);
        }

        await body.DrainAsync(cancellationToken);
    }

    /// <summary>Writes the central directory (the archive's end); the output stream stays open.</summary>
    public async ValueTask DisposeAsync()
    {
        await zip.DisposeAsync();
        await body.DrainAsync(CancellationToken.None);
        await body.DisposeAsync();
    }
}
