namespace CatSyphon.Web.Api;

/// <summary>/api/conversations: the session archive, one session, and its transcript.</summary>
public static class ConversationsClient
{
    public static Task<ConversationPage> ListConversationsAsync(this CatSyphonApi api, ApiQuery query, CancellationToken cancellationToken = default) =>
        api.GetAsync<ConversationPage>($"/api/conversations{query}", cancellationToken);

    public static Task<ConversationDetail> GetConversationAsync(this CatSyphonApi api, Guid workspaceId, Guid id, CancellationToken cancellationToken = default) =>
        api.GetAsync<ConversationDetail>($"/api/conversations/{id}{new ApiQuery().Add("workspace_id", workspaceId)}", cancellationToken);

    public static Task<TranscriptPage> GetTranscriptAsync(
        this CatSyphonApi api, Guid workspaceId, Guid id, long? after, int limit, CancellationToken cancellationToken = default) =>
        api.GetAsync<TranscriptPage>(
            $"/api/conversations/{id}/messages{new ApiQuery().Add("workspace_id", workspaceId).Add("after", after).Add("limit", limit)}", cancellationToken);
}
