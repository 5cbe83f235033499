using System.Text.Json;
using System.Text.Json.Serialization;

namespace CatSyphon.ApiService.Feed;

// The few documents of the NuGet v3 protocol a `dotnet tool install` reads (https://learn.microsoft.com/nuget/api/overview).

public sealed record ServiceIndex(string Version, IReadOnlyList<ServiceResource> Resources);

public sealed record ServiceResource([property: JsonPropertyName("@id")] string Id, [property: JsonPropertyName("@type")] string Type, string Comment);

/// <summary>A package's registration index, with its one page and every leaf inlined.</summary>
public sealed record RegistrationIndex(int Count, IReadOnlyList<RegistrationPage> Items);

public sealed record RegistrationPage(
    [property: JsonPropertyName("@id")] string Id, int Count, string Lower, string Upper, IReadOnlyList<RegistrationLeaf> Items);

public sealed record RegistrationLeaf([property: JsonPropertyName("@id")] string Id, CatalogEntry CatalogEntry, string PackageContent);

public sealed record CatalogEntry(
    [property: JsonPropertyName("@id")] string Url, string Id, string Version, bool Listed, string PackageContent,
    IReadOnlyList<PackageTypeName> PackageTypes);

public sealed record PackageTypeName(string Name);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ServiceIndex))]
[JsonSerializable(typeof(RegistrationIndex))]
internal sealed partial class NuGetFeedJson : JsonSerializerContext;
