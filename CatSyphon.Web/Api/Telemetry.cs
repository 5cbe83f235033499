namespace CatSyphon.Web.Api;

/// <summary>What the agents reported over OTLP: per session and over a workspace's range.</summary>
public static class TelemetryClient
{
    public static Task<SessionTelemetry> GetSessionTelemetryAsync(this CatSyphonApi api, Guid workspaceId, Guid conversationId, CancellationToken cancellationToken = default) =>
        api.GetAsync<SessionTelemetry>($"/api/conversations/{conversationId}/telemetry{new ApiQuery().Add("workspace_id", workspaceId)}", cancellationToken);

    public static Task<WorkspaceTelemetry> GetWorkspaceTelemetryAsync(this CatSyphonApi api, ActivityScope scope, CancellationToken cancellationToken = default) =>
        api.GetAsync<WorkspaceTelemetry>($"/api/stats/telemetry{new ApiQuery().Add("workspace_id", scope.WorkspaceId).Add("from", scope.From).Add("to", scope.To)}", cancellationToken);
}
