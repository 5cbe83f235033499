using CatSyphon.Contracts;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// Every operation of the served OpenAPI document, called by each <see cref="MatrixPrincipal"/>, answers what its declared
/// <c>x-access</c> promises that caller. The expectation is derived from the declaration and the caller's roles, never
/// written per endpoint, so a new endpoint is checked the day it is added, and one that declares no access (or an access
/// this test does not know) fails here.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class AuthorizationMatrixTests(RunningStackFixture stack, ITestOutputHelper output)
{
    /// <summary>What a caller gets: refused (401, 403), told the workspace or collector does not exist (404), or served.</summary>
    public enum Verdict
    {
        Denied401,
        Denied403,
        Hidden404,
        Allowed,
    }

    /// <summary>An operation of the document: its path template, the parameters the matrix must fill, and its body's media type if it takes one.</summary>
    public sealed record Operation(string Method, string Path, string? Access, IReadOnlyList<string> PathParameters, bool TakesWorkspaceId, string? BodyType,
        IReadOnlyList<string> OtherRequiredQuery)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    [Fact]
    public async Task Every_operation_answers_each_caller_as_its_declared_access_says()
    {
        var operations = await ReadOperationsAsync();
        await using var workspace = await AuthorizationMatrixWorkspace.CreateAsync(stack.App);
        var wrong = new List<string>();
        var rows = new List<string>();
        var cells = 0;

        foreach (var operation in operations)
        {
            if (Unfillable(operation, workspace) is { } reason)
            {
                wrong.Add($"{operation}: {reason}");
                continue;
            }

            var row = new List<string>();
            foreach (var caller in MatrixPrincipal.All)
            {
                cells++;
                var expected = Expected(operation.Access!, caller);
                var (actual, answer) = await CallAsync(operation, caller, workspace);
                row.Add(actual is { } verdict ? Short(verdict) : "5xx");
                if (actual != expected)
                {
                    wrong.Add($"{operation} [{operation.Access}] as {caller.Name}: expected {expected}, got {answer}");
                }
            }

            rows.Add($"{operation,-52} {operation.Access,-26} {string.Join(' ', row.Select(cell => cell.PadRight(3)))}");
        }

        output.WriteLine($"Authorization matrix: {operations.Count} operations x {MatrixPrincipal.All.Count} principals = {cells} cells");
        output.WriteLine($"Columns: {string.Join(", ", MatrixPrincipal.All.Select(p => p.Name))}");
        rows.ForEach(output.WriteLine);

        Assert.True(wrong.Count == 0, $"{wrong.Count} wrong cells or operations:\n{string.Join('\n', wrong)}");
        Assert.Equal(operations.Count * MatrixPrincipal.All.Count, cells);
    }

    /// <summary>
    /// The answer a caller must get from an operation with this access; null for an access the test does not know.
    /// The /api group lets only people and the admin token in (401 without a credential, 403 for a collector key);
    /// the protocol endpoints only collectors and, where declared, the admin token.
    /// </summary>
    public static Verdict? Expected(string access, MatrixPrincipal caller)
    {
        var colon = access.IndexOf(':');
        var (kind, level) = colon > 0 ? (access[..colon], access[(colon + 1)..]) : (access, null);
        return (kind, level) switch
        {
            ("anonymous", null) => Verdict.Allowed,
            ("collector", null) => Protocol(caller, adminTokenToo: false),
            ("collector_or_admin_token", null) => Protocol(caller, adminTokenToo: true),
            ("person", null) => Api(caller, _ => Verdict.Allowed),
            // The admin token has no account of its own.
            ("account", null) => Api(caller, c => c.Credential == MatrixCredential.PersonToken ? Verdict.Allowed : Verdict.Denied403),
            ("organization", _) when WireValue<OrganizationRole>(level) is { } needed =>
                Api(caller, c => c.OrganizationRole >= needed ? Verdict.Allowed : Verdict.Denied403),
            // Without a role in the workspace it does not exist for the caller; with one too low the caller is refused.
            ("workspace", _) when WireValue<WorkspaceRole>(level) is { } needed =>
                Api(caller, c => c.EffectiveRoleHere is not { } role ? Verdict.Hidden404 : role < needed ? Verdict.Denied403 : Verdict.Allowed),
            _ => null,
        };
    }

    private static Verdict Api(MatrixPrincipal caller, Func<MatrixPrincipal, Verdict> rule) => caller.Credential switch
    {
        MatrixCredential.None => Verdict.Denied401,
        MatrixCredential.CollectorKey => Verdict.Denied403,
        _ => rule(caller),
    };

    private static Verdict Protocol(MatrixPrincipal caller, bool adminTokenToo) => caller.Credential switch
    {
        MatrixCredential.None => Verdict.Denied401,
        MatrixCredential.CollectorKey => Verdict.Allowed,
        MatrixCredential.AdminToken when adminTokenToo => Verdict.Allowed,
        _ => Verdict.Denied403,
    };

    private static TEnum? WireValue<TEnum>(string? name) where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Where(value => ApiJson.Name(value) == name).Select(value => (TEnum?)value).FirstOrDefault();

    /// <summary>Why the matrix cannot check an operation, or null when it can: every such reason fails the test.</summary>
    private static string? Unfillable(Operation operation, AuthorizationMatrixWorkspace workspace) =>
        operation.Access is null ? "it declares no x-access"
        : MatrixPrincipal.All.Any(caller => Expected(operation.Access, caller) is null) ? $"x-access '{operation.Access}' is not one this test knows"
        : operation.PathParameters.FirstOrDefault(p => workspace.IdSource(operation.Path, p) is null) is { } unknown
            ? $"the matrix knows no real id for {{{unknown}}}: teach AuthorizationMatrixWorkspace.IdSource where to find one"
        : operation.OtherRequiredQuery.Count > 0 ? $"the matrix cannot fill the required query {string.Join(", ", operation.OtherRequiredQuery)}"
        : operation.BodyType is not (null or "application/json" or "multipart/form-data") ? $"the matrix cannot send a {operation.BodyType} body"
        : null;

    /// <summary>
    /// Calls the operation with real ids as <paramref name="caller"/> and judges the answer: a 404 is the hidden one when
    /// its title and detail are those the same call with unknown ids gets (the ids put back); a 5xx is never right (null).
    /// </summary>
    private static async Task<(Verdict? Verdict, string Answer)> CallAsync(Operation operation, MatrixPrincipal caller, AuthorizationMatrixWorkspace workspace)
    {
        var values = new Dictionary<string, string>();
        foreach (var parameter in operation.PathParameters)
        {
            values[parameter] = await workspace.IdSource(operation.Path, parameter)!(caller);
        }

        if (operation.TakesWorkspaceId)
        {
            values["workspace_id"] = workspace.WorkspaceId.ToString();
        }

        var (status, problem) = await SendAsync(operation, values, caller, workspace);
        var answer = $"{status} {problem}";
        switch (status)
        {
            case >= 500:
                return (null, answer);
            case 401:
                return (Verdict.Denied401, answer);
            case 403:
                return (Verdict.Denied403, answer);
            case 404 when values.Any(v => Guid.TryParse(v.Value, out _)):
                var unknown = values.ToDictionary(v => v.Key, v => Guid.TryParse(v.Value, out _) ? Guid.NewGuid().ToString() : v.Value);
                var (unknownStatus, unknownProblem) = await SendAsync(operation, unknown, caller, workspace);
                var putBack = unknown.Aggregate(unknownProblem, (text, id) => text.Replace(id.Value, values[id.Key], StringComparison.Ordinal));
                return (unknownStatus == 404 && putBack == problem ? Verdict.Hidden404 : Verdict.Allowed, answer);
            default:
                return (Verdict.Allowed, answer);
        }
    }

    /// <summary>The answer's status and its problem's title and detail (empty for a success).</summary>
    private static async Task<(int Status, string Problem)> SendAsync(
        Operation operation, IReadOnlyDictionary<string, string> values, MatrixPrincipal caller, AuthorizationMatrixWorkspace workspace)
    {
        var path = values.Aggregate(operation.Path, (text, value) => text.Replace($"{{{value.Key}}}", Uri.EscapeDataString(value.Value), StringComparison.Ordinal));
        if (values.TryGetValue("workspace_id", out var workspaceId))
        {
            path += $"?workspace_id={workspaceId}";
        }

        // The least body of the documented media type: an empty object, or a form without files. A 422 for it is an
        // allowed answer; another media type would be a 415 from routing, before any access rule is asked.
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method), path)
        {
            Content = operation.BodyType switch
            {
                "application/json" => new StringContent("{}", Encoding.UTF8, "application/json"),
                "multipart/form-data" => new MultipartFormDataContent(),
                _ => null,
            },
        };
        using var response = await workspace.SendAsync(request, caller);
        var body = await response.Content.ReadAsStringAsync();
        var problem = response.IsSuccessStatusCode || body.Length == 0 ? "" : ProblemText(body);
        return ((int)response.StatusCode, problem);
    }

    private static string ProblemText(string body)
    {
        try
        {
            var problem = JsonDocument.Parse(body).RootElement;
            return $"{Property(problem, "title")}: {Property(problem, "detail")}";
        }
        catch (JsonException)
        {
            return $"(not problem details) {body}";
        }
    }

    private static string? Property(JsonElement problem, string name) =>
        problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty(name, out var value) ? value.ToString() : null;

    private static string Short(Verdict verdict) => verdict switch
    {
        Verdict.Denied401 => "401",
        Verdict.Denied403 => "403",
        Verdict.Hidden404 => "404",
        _ => "ok",
    };

    /// <summary>Every operation of <c>/api</c> and <c>/collectors</c> in the document the API serves.</summary>
    private async Task<List<Operation>> ReadOperationsAsync()
    {
        using var client = stack.App.CreateHttpClient(ResourceNames.Api);
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var operations = new List<Operation>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject()
                     .Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal) || p.Name == "/collectors" || p.Name.StartsWith("/collectors/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
                string[] Names(string location, bool requiredOnly) => [.. parameters
                    .Where(p => p.GetProperty("in").GetString() == location && (!requiredOnly || p.TryGetProperty("required", out var r) && r.GetBoolean()))
                    .Select(p => p.GetProperty("name").GetString()!)];
                operations.Add(new Operation(
                    operation.Name.ToUpperInvariant(),
                    path.Name,
                    operation.Value.TryGetProperty("x-access", out var access) ? access.GetString() : null,
                    Names("path", requiredOnly: false),
                    Names("query", requiredOnly: false).Contains("workspace_id"),
                    operation.Value.TryGetProperty("requestBody", out var body) ? body.GetProperty("content").EnumerateObject().First().Name : null,
                    [.. Names("query", requiredOnly: true).Where(name => name != "workspace_id")]));
            }
        }

        Assert.True(operations.Count > 40, $"the document lists only {operations.Count} operations of /api and /collectors");
        return operations;
    }
}
