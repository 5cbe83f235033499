namespace CatSyphon.Contracts;

/// <summary>What one uploaded file yielded.</summary>
public sealed record UploadedFileResult(
    string FileName, string? AgentType, int Sessions, long Events, long Accepted, long Duplicates, int MalformedLines, IReadOnlyList<string> Warnings, string? Error);

public sealed record UploadResponse(Guid WorkspaceId, IReadOnlyList<UploadedFileResult> Files);
