namespace CatSyphon.IntegrationTests;

/// <summary>The OpenAPI document describes every endpoint: a summary, and the shape of what a success returns.</summary>
[Collection(RunningStackCollection.Name)]
public sealed class OpenApiDocumentTests(RunningStackFixture stack)
{
    [Fact]
    public async Task Every_api_operation_has_a_summary_and_a_typed_success_response()
    {
        using var client = stack.App.CreateHttpClient(ResourceNames.Api);
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().ToList();
        Assert.Contains(paths, p => p.Name == "/api/conversations/{id}/messages");

        var operations = 0;
        foreach (var path in paths.Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                operations++;
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                Assert.True(operation.Value.TryGetProperty("summary", out var summary) && summary.GetString()!.Length > 10, $"{name} has no summary");
                var responses = operation.Value.GetProperty("responses");
                var success = responses.EnumerateObject().FirstOrDefault(r => r.Name.StartsWith('2'));
                Assert.True(success.Value.ValueKind == JsonValueKind.Object, $"{name} documents no success response");
                if (operation.Name == "get")
                {
                    Assert.True(success.Value.TryGetProperty("content", out var content) && content.EnumerateObject().Any(), $"{name} documents no response body");
                }
            }
        }

        Assert.True(operations > 20, $"only {operations} operations");
        Assert.True(document.RootElement.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _));
    }

    /// <summary>
    /// The public API is the one written down in <c>openapi-v1.json</c>: paths, operations, parameters and schemas,
    /// byte for byte (only the server address, which names the test's port, is left out). A change to the API is a
    /// change to that file, made on purpose and seen in review.
    /// </summary>
    [Fact]
    public async Task The_document_is_the_api_contract_written_down_in_the_repository()
    {
        using var client = stack.App.CreateHttpClient(ResourceNames.Api);
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.AsObject();
        document.Remove("servers");
        var served = document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        var contractPath = Path.Combine(RepositoryRoot.Path, "tests", "CatSyphon.IntegrationTests", "openapi-v1.json");

        if (served != await File.ReadAllTextAsync(contractPath))
        {
            var servedPath = Path.Combine(Path.GetTempPath(), "catsyphon-openapi-v1.served.json");
            await File.WriteAllTextAsync(servedPath, served);
            Assert.Fail($"The API's OpenAPI document differs from {contractPath}. Compare with {servedPath}; "
                + "if the change is meant, copy it over the contract.");
        }
    }

    [Fact]
    public async Task The_interactive_api_reference_is_served_in_development()
    {
        using var client = stack.App.CreateHttpClient(ResourceNames.Api);
        using var response = await client.GetAsync("/scalar");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", page);
    }
}
