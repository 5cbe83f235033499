using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CatSyphon.Protocol.Json;

namespace CatSyphon.Contracts;

/// <summary>
/// The query and management API's JSON, for the API that writes it and the clients that read it: snake_case names,
/// enums as their snake_case names (never numbers), times in UTC with <c>Z</c>, dictionary keys as they are, nulls
/// written. The contract records use the source-generated <see cref="ApiJsonContext"/>; anything else (problem
/// details, audit details) falls back to reflection, as ASP.NET's own options do.
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Configure(
        new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() });

    /// <summary>Applies the API's settings to <paramref name="options"/> (e.g. ASP.NET's <c>JsonOptions.SerializerOptions</c>).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new UtcTimestampConverter());
        options.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        return options;
    }

    /// <summary>An enum value's name as the API writes it (<c>IngestionOutcome.Accepted</c> is <c>accepted</c>).</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}

/// <summary>
/// Source-generated (reflection-free) metadata of the contract records. Use it through <see cref="ApiJson.Options"/>:
/// the enum and timestamp converters live in those options, not here. A list's element type needs no entry of its
/// own: the generator writes the metadata of every type a listed one holds.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CreateWorkspaceRequest))]
[JsonSerializable(typeof(UpdateWorkspaceRequest))]
[JsonSerializable(typeof(IReadOnlyList<WorkspaceResponse>))]
[JsonSerializable(typeof(CreateEnrollmentTokenRequest))]
[JsonSerializable(typeof(EnrollmentTokenResponse))]
[JsonSerializable(typeof(IReadOnlyList<CollectorSummary>))]
[JsonSerializable(typeof(RotateKeyRequest))]
[JsonSerializable(typeof(RotateKeyResponse))]
[JsonSerializable(typeof(ConversationPage))]
[JsonSerializable(typeof(ConversationDetail))]
[JsonSerializable(typeof(IReadOnlyList<TagEvidence>))]
[JsonSerializable(typeof(SessionTags))]
[JsonSerializable(typeof(InsightReport))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(ProjectHealthReport))]
[JsonSerializable(typeof(WeeklyDigest))]
[JsonSerializable(typeof(TranscriptPage))]
[JsonSerializable(typeof(PlanDetail))]
[JsonSerializable(typeof(PlanDiff))]
[JsonSerializable(typeof(IReadOnlyList<ProjectView>))]
[JsonSerializable(typeof(IReadOnlyList<DeveloperView>))]
[JsonSerializable(typeof(ProjectFiles))]
[JsonSerializable(typeof(TokenStats))]
[JsonSerializable(typeof(ActivityReport))]
[JsonSerializable(typeof(ToolUsageReport))]
[JsonSerializable(typeof(IngestionJobPage))]
[JsonSerializable(typeof(IngestionStats))]
[JsonSerializable(typeof(IReadOnlyList<DeadLetterView>))]
[JsonSerializable(typeof(UploadResponse))]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(UpdateUserRequest))]
[JsonSerializable(typeof(IReadOnlyList<UserView>))]
[JsonSerializable(typeof(SetMemberRequest))]
[JsonSerializable(typeof(AddMemberRequest))]
[JsonSerializable(typeof(MemberView))]
[JsonSerializable(typeof(IReadOnlyList<MemberView>))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(LoginResponse))]
[JsonSerializable(typeof(OidcSignInRequest))]
[JsonSerializable(typeof(IReadOnlyList<SignInProviderView>))]
[JsonSerializable(typeof(MeView))]
[JsonSerializable(typeof(CreateTokenRequest))]
[JsonSerializable(typeof(CreatedTokenResponse))]
[JsonSerializable(typeof(IReadOnlyList<TokenView>))]
[JsonSerializable(typeof(LinkDeveloperRequest))]
[JsonSerializable(typeof(AuditPage))]
[JsonSerializable(typeof(CreateRedactionRuleRequest))]
[JsonSerializable(typeof(RedactionRuleView))]
[JsonSerializable(typeof(IReadOnlyList<RedactionRuleView>))]
[JsonSerializable(typeof(RedactionPreviewRequest))]
[JsonSerializable(typeof(RedactionPreviewResponse))]
[JsonSerializable(typeof(EraseSessionRequest))]
[JsonSerializable(typeof(EraseDeveloperRequest))]
[JsonSerializable(typeof(EraseWorkspaceRequest))]
[JsonSerializable(typeof(DataJobView))]
[JsonSerializable(typeof(IReadOnlyList<DataJobView>))]
[JsonSerializable(typeof(LlmStatusView))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
