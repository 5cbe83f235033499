using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http.Features;

namespace CatSyphon.ApiService.Apis.Otlp;

/// <summary>An OTLP request body as read: its bytes, or the status and reason that refuse it.</summary>
internal sealed record OtlpBody(byte[]? Bytes, int Status, string? Problem)
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>
    /// Reads the body, gunzipped when <c>Content-Encoding: gzip</c>, refusing it past <paramref name="maxBytes"/> both as
    /// sent and after decompression (413): a small gzip body can inflate a thousandfold.
    /// </summary>
    public static async Task<OtlpBody> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var tooLarge = new OtlpBody(null, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {maxBytes} bytes (after decompression).");
        if (request.ContentLength > maxBytes)
        {
            return tooLarge;
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = maxBytes;
        }

        var contentEncoding = request.Headers.ContentEncoding.ToString().Trim();
        var gzip = contentEncoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && contentEncoding.Length > 0 && !contentEncoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return new OtlpBody(null, StatusCodes.Status415UnsupportedMediaType, $"Content-Encoding '{contentEncoding}' is not supported; send gzip or none.");
        }

        // The request's own stream is the server's to dispose; only the decompressor is ours.
        await using var inflating = gzip ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : null;
        try
        {
            return await ReadBoundedAsync(inflating ?? request.Body, maxBytes, cancellationToken) is { } bytes ? new OtlpBody(bytes, StatusCodes.Status200OK, null) : tooLarge;
        }
        catch (InvalidDataException)
        {
            return new OtlpBody(null, StatusCodes.Status400BadRequest, "The body is not valid gzip.");
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return tooLarge;
        }
    }

    /// <summary>The stream's bytes, or null once they pass <paramref name="maxBytes"/> (reading stops there).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await source.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
            {
                if (body.Length + read > maxBytes)
                {
                    return null;
                }

                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return body.ToArray();
    }
}
