namespace CatSyphon.Worker.Projection;

/// <summary>The <c>tool_calls</c> columns of tool_call and tool_result events, joined later by <c>tool_use_id</c>.</summary>
internal static class ToolCallProjector
{
    public static void Call(JsonElement data, EventRow row)
    {
        row.ToolUseId = Identifier(data, EventFields.ToolUseId);
        row.ToolName = Identifier(data, EventFields.ToolName);
        row.ToolParameters = Json(data, EventFields.Parameters) ?? Json(data, EventFields.Input);
        row.ToolFacts = Facts(data, row.EmittedAt);
    }

    public static void Result(JsonElement data, EventRow row)
    {
        row.ToolUseId = Identifier(data, EventFields.ToolUseId);
        row.ToolResult = Text(data, EventFields.Result) ?? Text(data, EventFields.Output);
        row.ToolError = Text(data, EventFields.ErrorMessage) ?? Text(data, EventFields.Error);
        var success = Boolean(data, EventFields.Success);
        row.ToolSuccess = success ?? row.ToolError is null;
        if (success == false || row.ToolError is not null)
        {
            row.ToolSuccess = false;
            row.IsError = true;
        }
    }

    /// <summary>A tool event without its id cannot be joined; it keeps its message row only.</summary>
    public static void KeepJoinableOnly(EventRow row)
    {
        if (row.ToolUseId is null)
        {
            row.ToolName = null;
            row.ToolParameters = null;
            row.ToolResult = null;
            row.ToolSuccess = null;
            row.ToolError = null;
        }
    }

    /// <summary>
    /// A tool call's <c>file_change</c> (Edit, Write...) and <c>plan</c> (ExitPlanMode, a plan file written):
    /// files touched and plan versions as the session goes, not only at its end. Plan mode's plans have no
    /// path and share one plan per conversation, each approved plan a new version.
    /// </summary>
    private static SessionEndInfo? Facts(JsonElement data, DateTimeOffset emittedAt)
    {
        var file = data.TryGetProperty(EventFields.FileChange, out var change) ? FileProjector.File(change, emittedAt) : null;
        var plan = data.TryGetProperty(EventFields.Plan, out var planElement) && planElement.ValueKind == JsonValueKind.Object
            && PlanProjector.Plan(planElement, 1) is { } info
                ? info with { Identifier = ColumnText.Bounded(Text(planElement, PlanFields.Path), ColumnLimits.PlanIdentifier) ?? "plan-mode" }
                : null;
        return file is null && plan is null ? null : new SessionEndInfo(null, null, emittedAt, plan is null ? [] : [plan], file is null ? [] : [file]);
    }
}
