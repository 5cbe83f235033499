namespace CatSyphon.IntegrationTests;

/// <summary>
/// Every query parameter is validated into 422 problem details naming it (README "Query API"; contract "Value
/// limits"): NUL characters, which PostgreSQL cannot hold, values of the wrong type, which binding used to answer
/// 400, and values out of range. No query string answers 5xx.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class QueryValidationTests(RunningStackFixture stack)
{
    [Theory]
    [InlineData("/api/conversations", "q")]
    [InlineData("/api/conversations", "model")]
    [InlineData("/api/conversations", "agent_type")]
    [InlineData("/api/conversations", "outcome")]
    [InlineData("/api/ingestion/jobs", "outcome")]
    [InlineData("/api/ingestion/jobs", "session_id")]
    [InlineData("/api/workspaces", "anything")]
    public async Task A_nul_in_a_query_parameter_is_422_naming_it_not_a_500(string path, string parameter)
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        using var admin = stack.App.CreateAdminClient();

        using var response = await admin.GetAsync($"{path}?workspace_id={workspace}&{parameter}=a%00b");

        await AssertValidationProblemAsync(response, parameter);
    }

    [Theory]
    [InlineData("/api/conversations", "limit=ten", "limit")]
    [InlineData("/api/conversations", "has_plan=yes", "has_plan")]
    [InlineData("/api/conversations", "from=yesterday", "from")]
    [InlineData("/api/conversations", "project_id=42", "project_id")]
    [InlineData("/api/ingestion/jobs", "limit=99999999999", "limit")]
    [InlineData("/api/stats/tokens", "to=2026-13-01", "to")]
    [InlineData("/api/ingestion/dead-letters", "limit=0", "limit")]
    [InlineData("/api/ingestion/dead-letters", "limit=1001", "limit")]
    [InlineData("/api/ingestion/stats", "window_minutes=0", "window_minutes")]
    [InlineData("/api/conversations", "limit=201", "limit")]
    public async Task A_value_of_the_wrong_type_or_out_of_range_is_422_naming_it_not_a_400(string path, string query, string parameter)
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        using var admin = stack.App.CreateAdminClient();

        using var response = await admin.GetAsync($"{path}?workspace_id={workspace}&{query}");

        await AssertValidationProblemAsync(response, parameter);
    }

    /// <summary>
    /// Walks the OpenAPI document: every query parameter of every GET under /api and /collectors gets a NUL, a value
    /// of the wrong type (when it is typed) and values out of range, each alone on an otherwise valid request.
    /// </summary>
    [Fact]
    public async Task Every_documented_query_parameter_answers_4xx_problem_details_never_5xx()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        using var collector = await CollectorClient.RegisterAsync(stack.App, workspace);
        using var admin = stack.App.CreateAdminClient();
        using var document = JsonDocument.Parse(await admin.GetStringAsync("/openapi/v1.json"));
        var probed = 0;
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            if (!path.Value.TryGetProperty("get", out var get) || !get.TryGetProperty("parameters", out var parameters))
            {
                continue;
            }

            var client = path.Name.StartsWith("/api/", StringComparison.Ordinal) ? admin : collector.Http;
            var url = string.Join('/', path.Name.Split('/').Select(segment => segment.StartsWith('{') ? Guid.NewGuid().ToString() : segment));
            foreach (var parameter in parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query"))
            {
                var name = parameter.GetProperty("name").GetString()!;
                var schema = parameter.GetProperty("schema");
                string Query(string value) => url + (name == "workspace_id" ? $"?workspace_id={value}" : $"?workspace_id={workspace}&{name}={value}");

                await AssertValidationProblemAsync(await client.GetAsync(Query("x%00")), name);
                if (Typed(schema))
                {
                    await AssertValidationProblemAsync(await client.GetAsync(Query("not-of-this-type")), name);
                }

                foreach (var value in OutOfRange(schema))
                {
                    using var response = await client.GetAsync(Query(Uri.EscapeDataString(value)));
                    var status = (int)response.StatusCode;
                    Assert.True(status < 500, $"GET {Query(value[..Math.Min(value.Length, 40)])}: {status} {await response.Content.ReadAsStringAsync()}");
                    if (status >= 400)
                    {
                        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    }
                }

                probed++;
            }
        }

        Assert.True(probed > 40, $"only {probed} query parameters were found in the OpenAPI document");
    }

    internal static async Task AssertValidationProblemAsync(HttpResponseMessage response, string field)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(body);
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{field} is not named: {body}");
        }
    }

    private static bool Typed(JsonElement schema) =>
        TypeNames(schema).Any(type => type is "integer" or "number" or "boolean")
        || (schema.TryGetProperty("format", out var format) && format.GetString() is "uuid" or "date-time");

    private static IEnumerable<string> OutOfRange(JsonElement schema)
    {
        var types = TypeNames(schema).ToList();
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        return (types, format) switch
        {
            _ when types.Contains("integer") => ["-1", "0", "2147483647", "-9223372036854775808"],
            _ when types.Contains("boolean") => ["TRUE"],
            (_, "uuid") => ["00000000-0000-0000-0000-000000000000"],
            (_, "date-time") => ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-01-01T00:00:00+14:00"],
            _ => ["", " ", new string('x', 2000), "\U0001F600'; DROP TABLE conversations; --", "%", "\uFFFF"],
        };
    }

    private static IEnumerable<string> TypeNames(JsonElement schema) => schema.TryGetProperty("type", out var type)
        ? type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!) : [type.GetString()!]
        : [];
}
