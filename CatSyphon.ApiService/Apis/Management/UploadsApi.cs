using CatSyphon.ApiService.Ingestion;
using CatSyphon.Protocol.Parsing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CatSyphon.ApiService.Apis.Management;

/// <summary><c>POST /api/uploads</c>: session log files from a browser or a script, through the collectors' own path.</summary>
public static class UploadsApi
{
    public static RouteGroupBuilder MapUploadsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/uploads", "Uploads");

        api.MapPost("/", Upload)
            .RequireWorkspaceRole(WorkspaceRole.Member)
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data")
            .WithSummary($"Upload {AgentFormatRegistry.Default.DisplayNames("or")} session logs into a workspace; answers per file");

        return api;
    }

    public static async Task<Results<Ok<UploadResponse>, ProblemHttpResult>> Upload(
        [AsParameters] WorkspaceScope workspace,
        HttpContext context,
        UploadedLogImporter importer,
        IOptions<UploadOptions> options,
        CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limits.MaxRequestBytes;
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return ApiProblems.Validation("body", "Send the files as multipart/form-data.");
        }

        // Files are streamed to private temporary files (size-checked as they arrive) before anything is
        // imported: a request refused for size stores nothing.
        var staged = new List<(string Name, string Path)>();
        try
        {
            var reader = new MultipartReader(boundary, context.Request.Body);
            while (await NextSectionAsync(reader, cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
                {
                    continue;
                }

                var name = Path.GetFileName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "upload.jsonl");
                var path = Path.GetTempFileName();
                staged.Add((name, path));
                await using var file = File.Create(path);
                if (!await CopyLimitedAsync(section.Body, file, limits.MaxFileBytes, cancellationToken))
                {
                    return ApiProblems.TooLarge("File too large", $"{name} is larger than {limits.MaxFileBytes} bytes; nothing was stored.");
                }
            }

            if (staged.Count == 0)
            {
                return ApiProblems.Validation("files", "No file was sent.");
            }

            var results = new List<UploadedFileResult>();
            foreach (var (name, path) in staged)
            {
                results.Add(await importer.ImportAsync(workspace.Id, name, path, cancellationToken));
            }

            return TypedResults.Ok(new UploadResponse(workspace.Id, results));
        }
        finally
        {
            foreach (var (_, path) in staged)
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>
    /// The next section, or null at the end; a body that breaks off or is not multipart after all is the client's
    /// mistake (422), while one over the size limit stays Kestrel's 413 (<see cref="BadHttpRequestException"/>).
    /// </summary>
    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is (IOException or InvalidDataException) and not BadHttpRequestException
                                          && !cancellationToken.IsCancellationRequested)
        {
            throw new BadHttpRequestException($"The multipart/form-data body is malformed: {exception.Message}", StatusCodes.Status422UnprocessableEntity, exception);
        }
    }

    private static async Task<bool> CopyLimitedAsync(Stream source, Stream target, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > limit)
            {
                return false;
            }

            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return true;
    }
}
