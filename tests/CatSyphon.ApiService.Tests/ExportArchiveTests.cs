using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CatSyphon.ApiService.Apis.Export;
using CatSyphon.Contracts;

namespace CatSyphon.ApiService.Tests;

/// <summary>
/// The export archive is written onto a response body: a stream that cannot seek and, in Kestrel, refuses synchronous
/// writes. Every entry must still come out whole, readable by an ordinary zip reader, one JSON record a line.
/// </summary>
public sealed class ExportArchiveTests
{
    [Fact]
    public async Task Lines_and_a_manifest_written_onto_a_forward_only_asynchronous_stream_make_a_valid_zip()
    {
        var body = new ForwardOnlyAsyncStream();
        await using (var archive = await ExportArchive.CreateAsync(body, CancellationToken.None))
        {
            await archive.WriteLinesAsync(ExportFiles.Projects, ProjectsAsync(5_000), ExportJsonContext.Default.ExportProject, CancellationToken.None);
            await archive.WriteDocumentAsync(ExportFiles.Manifest, new ExportManifest(ExportFiles.FormatVersion, DateTimeOffset.UnixEpoch,
                "workspace", null, null, [], archive.Lines, "test"), ExportJsonContext.Default.ExportManifest, CancellationToken.None);
        }

        using var zip = new ZipArchive(new MemoryStream(body.Written.ToArray()), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry(ExportFiles.Projects)!.Open());
        var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5_000, lines.Length);
        Assert.Equal("""{"id":"00000000-0000-0000-0000-000000000000","name":"café 4999","directory":"/src/4999","created_at":"1970-01-01T00:00:00Z"}""",
            lines[^1]);
        using var manifest = JsonDocument.Parse(zip.GetEntry(ExportFiles.Manifest)!.Open());
        Assert.Equal(5_000, manifest.RootElement.GetProperty("files").GetProperty(ExportFiles.Projects).GetInt64());
    }

    private static async IAsyncEnumerable<ExportProject> ProjectsAsync(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return new ExportProject { Id = Guid.Empty, Name = $"café {i}", Directory = $"/src/{i}", CreatedAt = DateTimeOffset.UnixEpoch };
        }
    }

    /// <summary>Like Kestrel's response body: no seeking, no position, no synchronous writes.</summary>
    private sealed class ForwardOnlyAsyncStream : Stream
    {
        public MemoryStream Written { get; } = new();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            Written.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Written.WriteAsync(buffer, offset, count, cancellationToken);

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous writes are not allowed.");
        public override void Flush() => throw new InvalidOperationException("Synchronous flushes are not allowed.");
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
