namespace CatSyphon.Worker.Projection;

/// <summary>
/// What session_start and session_end events say about their conversation: agent, directory, developer and parent
/// session at the start; outcome, summary, plans and files at the end.
/// </summary>
internal static class ConversationProjector
{
    public static SessionStartInfo Start(JsonElement data, DateTimeOffset emittedAt)
    {
        var workingDirectory = Text(data, EventFields.WorkingDirectory) ?? Text(data, EventFields.Cwd);
        string? developer = null;
        string? displayName = null;
        if (data.TryGetProperty(EventFields.Developer, out var developerElement))
        {
            switch (developerElement.ValueKind)
            {
                case JsonValueKind.String:
                    developer = ColumnText.Clean(developerElement.GetString());
                    break;
                case JsonValueKind.Object:
                    developer = Text(developerElement, DeveloperFields.Username) ?? Text(developerElement, DeveloperFields.Login) ?? Text(developerElement, DeveloperFields.Email) ?? Text(developerElement, DeveloperFields.Id) ?? Text(developerElement, DeveloperFields.Name);
                    displayName = Text(developerElement, DeveloperFields.DisplayName) ?? Text(developerElement, DeveloperFields.Name);
                    break;
            }
        }

        developer ??= HomeDirectoryUser(workingDirectory);
        return new SessionStartInfo(
            AgentType: Text(data, EventFields.AgentType),
            AgentVersion: Text(data, EventFields.AgentVersion),
            WorkingDirectory: workingDirectory,
            GitBranch: Text(data, EventFields.GitBranch),
            Slug: Text(data, EventFields.Slug),
            Hostname: Text(data, EventFields.Hostname),
            ParentSessionId: ColumnText.Bounded(Text(data, EventFields.ParentSessionId), ColumnLimits.SessionId),
            Developer: ColumnText.Bounded(developer, ColumnLimits.Identifier),
            DeveloperDisplayName: displayName,
            StartedAt: emittedAt);
    }

    public static SessionEndInfo End(JsonElement data, DateTimeOffset emittedAt)
    {
        var plans = new List<PlanInfo>();
        if (data.TryGetProperty(EventFields.Plans, out var plansElement) && plansElement.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var plan in plansElement.EnumerateArray())
            {
                index++;
                if (PlanProjector.Plan(plan, index) is { } info
                    && !plans.Exists(existing => existing.Identifier == info.Identifier))
                {
                    plans.Add(info);
                }
            }
        }

        var files = new List<FileInfoRow>();
        if (data.TryGetProperty(EventFields.FilesTouched, out var filesElement) && filesElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var file in filesElement.EnumerateArray())
            {
                if (FileProjector.File(file, emittedAt) is { } info)
                {
                    files.Add(info);
                }
            }
        }

        return new SessionEndInfo(Text(data, EventFields.Outcome), Text(data, EventFields.Summary), emittedAt, plans, files);
    }

    /// <summary>The user of a home directory path (<c>/home/alice/...</c>, <c>/Users/alice/...</c>, <c>C:\Users\alice\...</c>).</summary>
    public static string? HomeDirectoryUser(string? directory)
    {
        if (string.IsNullOrEmpty(directory))
        {
            return null;
        }

        var segments = directory.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
        var start = segments.Length > 0 && segments[0].Length == 2 && segments[0][1] == ':' ? 1 : 0;
        if (segments.Length > start + 1
            && (segments[start] == "home" || segments[start].Equals("Users", StringComparison.OrdinalIgnoreCase))
            && segments[start + 1].Length > 0)
        {
            return ColumnText.Bounded(segments[start + 1], ColumnLimits.Identifier);
        }

        return null;
    }

    public static string LastPathSegment(string directory)
    {
        var trimmed = directory.TrimEnd('/', '\\');
        if (trimmed.Length == 0)
        {
            return directory;
        }

        var cut = trimmed.LastIndexOfAny(['/', '\\']);
        return cut < 0 ? trimmed : trimmed[(cut + 1)..];
    }
}
