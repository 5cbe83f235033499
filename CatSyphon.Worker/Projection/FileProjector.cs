namespace CatSyphon.Worker.Projection;

/// <summary>A file touched as the parsers describe it (a path, or an object with its change) as a <c>files_touched</c> row.</summary>
internal static class FileProjector
{
    public static FileInfoRow? File(JsonElement file, DateTimeOffset emittedAt)
    {
        if (file.ValueKind == JsonValueKind.String)
        {
            var path = ColumnText.Clean(file.GetString());
            return path is null ? null : new FileInfoRow(path, "touched", null, null, emittedAt);
        }

        if (file.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var filePath = Text(file, FileFields.Path) ?? Text(file, FileFields.FilePath) ?? Text(file, FileFields.File);
        if (filePath is null)
        {
            return null;
        }

        var change = (Text(file, FileFields.ChangeKind) ?? Text(file, FileFields.Change) ?? Text(file, FileFields.ChangeType) ?? Text(file, FileFields.Action)
            ?? Text(file, FileFields.Operation) ?? Text(file, FileFields.Kind) ?? "touched").ToLowerInvariant();
        return new FileInfoRow(
            filePath,
            ColumnText.Bounded(change, 100)!,
            ToInt(Integer(file, FileFields.LinesAdded)),
            ToInt(Integer(file, FileFields.LinesDeleted) ?? Integer(file, FileFields.LinesRemoved)),
            Timestamp(file, FileFields.TouchedAt) ?? Timestamp(file, FileFields.Timestamp) ?? emittedAt);
    }
}
