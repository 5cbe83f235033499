namespace CatSyphon.Worker.Projection;

/// <summary>A plan as the parsers describe it (a text, or an object with its versions) as <c>plans</c> and <c>plan_versions</c> rows.</summary>
internal static class PlanProjector
{
    public static PlanInfo? Plan(JsonElement plan, int index)
    {
        if (plan.ValueKind == JsonValueKind.String)
        {
            var text = ColumnText.Clean(plan.GetString());
            return text is null ? null : new PlanInfo($"plan-{index}", null, null, [text]);
        }

        if (plan.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var identifier = Text(plan, PlanFields.Path) ?? Text(plan, PlanFields.PlanFilePath) ?? Text(plan, PlanFields.Identifier) ?? Text(plan, PlanFields.Id)
            ?? Text(plan, PlanFields.FilePath) ?? Text(plan, PlanFields.Name) ?? Text(plan, PlanFields.Title) ?? $"plan-{index}";

        // Versions in the order they were written: an explicit list; else (the Python watcher's PlanInfo) the
        // initial content, what each operation wrote, and the final content. Each distinct content once.
        var versions = new List<string>();
        void Add(string? content)
        {
            if (content is not null && !versions.Contains(content))
            {
                versions.Add(content);
            }
        }

        if (plan.TryGetProperty(PlanFields.Versions, out var versionsElement) && versionsElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var version in versionsElement.EnumerateArray())
            {
                Add(version.ValueKind == JsonValueKind.Object ? Text(version, PlanFields.Content) : AsText(version));
            }
        }

        Add(Text(plan, PlanFields.InitialContent));
        if (plan.TryGetProperty(PlanFields.Operations, out var operations) && operations.ValueKind == JsonValueKind.Array)
        {
            foreach (var operation in operations.EnumerateArray())
            {
                if (operation.ValueKind == JsonValueKind.Object)
                {
                    Add(Text(operation, PlanFields.NewContent) ?? Text(operation, PlanFields.Content));
                }
            }
        }

        Add(Text(plan, PlanFields.Content));
        Add(Text(plan, PlanFields.FinalContent));

        return new PlanInfo(ColumnText.Bounded(identifier, ColumnLimits.PlanIdentifier)!, Text(plan, PlanFields.Title), Text(plan, PlanFields.Status), versions);
    }
}
