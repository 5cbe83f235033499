namespace CatSyphon.ApiService.Apis.Query.Llm;

/// <summary>
/// What the API knows of the optional LLM (section <c>Llm</c>): whether the worker has one configured, its model and
/// the default budget. The key stays with the worker; the app host sets <c>Llm__Configured</c> here when it passes one.
/// </summary>
public sealed class LlmStatusOptions : LlmSettings
{
    public bool Configured { get; set; }
}
