using System.Text.Json.Serialization;

namespace CatSyphon.Protocol;

/// <summary>
/// Source-generated (reflection-free) JSON metadata for the protocol DTOs: snake_case names, nulls
/// omitted when writing, timestamps in UTC with <c>Z</c>. The DTOs also carry these settings as
/// attributes, so the metadata behaves the same when this context is added to other options (for
/// example ASP.NET's <c>JsonOptions.SerializerOptions.TypeInfoResolverChain</c>).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventBatch))]
[JsonSerializable(typeof(CollectorEvent))]
[JsonSerializable(typeof(EventBatchAccepted))]
[JsonSerializable(typeof(RegisterCollectorRequest))]
[JsonSerializable(typeof(RegisterCollectorResponse))]
[JsonSerializable(typeof(CollectorInfo))]
[JsonSerializable(typeof(SessionStatus))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(CompleteSessionRequest))]
[JsonSerializable(typeof(CompleteSessionResponse))]
[JsonSerializable(typeof(CollectorFeedVersions))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;
