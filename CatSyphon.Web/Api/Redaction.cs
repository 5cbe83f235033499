namespace CatSyphon.Web.Api;

/// <summary>A workspace's own redaction rules and the preview of what its rules redact.</summary>
public static class RedactionClient
{
    public static Task<IReadOnlyList<RedactionRuleView>> ListRedactionRulesAsync(this CatSyphonApi api, Guid workspace, CancellationToken cancellationToken = default) =>
        api.GetAsync<IReadOnlyList<RedactionRuleView>>($"/api/workspaces/{workspace}/redaction-rules", cancellationToken);

    public static Task<RedactionRuleView> AddRedactionRuleAsync(this CatSyphonApi api, Guid workspace, CreateRedactionRuleRequest request, CancellationToken cancellationToken = default) =>
        api.PostAsync<RedactionRuleView>($"/api/workspaces/{workspace}/redaction-rules", request, cancellationToken);

    public static Task RemoveRedactionRuleAsync(this CatSyphonApi api, Guid workspace, Guid rule, CancellationToken cancellationToken = default) =>
        api.SendAsync(HttpMethod.Delete, $"/api/workspaces/{workspace}/redaction-rules/{rule}", cancellationToken);

    public static Task<RedactionPreviewResponse> PreviewRedactionAsync(this CatSyphonApi api, Guid workspace, string text, CancellationToken cancellationToken = default) =>
        api.PostAsync<RedactionPreviewResponse>($"/api/workspaces/{workspace}/redaction-rules/preview", new RedactionPreviewRequest(text), cancellationToken);
}
