using System.Text.Json;
using System.Text.Json.Serialization;

namespace CatSyphon.Web.Api;

/// <summary>The API speaks snake_case JSON with enums as snake_case names.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
