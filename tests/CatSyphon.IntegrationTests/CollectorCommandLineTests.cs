using System.Net.Http.Json;
using System.Text.Json;
using CatSyphon.Collector.Commands;
using CatSyphon.Collector.Configuration;

namespace CatSyphon.IntegrationTests;

/// <summary>The <c>catsyphon</c> command line against the running stack, each test with a private collector home.</summary>
[Collection(RunningStackCollection.Name)]
public sealed class CollectorCommandLineTests(RunningStackFixture stack) : IDisposable
{
    private readonly DirectoryInfo home = Directory.CreateTempSubdirectory("catsyphon-home-");

    private CatSyphonApp App => stack.App;

    [Fact]
    public async Task Register_with_an_enrollment_token_stores_private_credentials_and_status_reports_active()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        var token = await EnrollmentTokenAsync(workspace);

        var (registered, registerOutput, _) = await RunAsync("register", "--server", ServerUrl, "--workspace", workspace.ToString(), "--token", token);
        var (status, statusOutput, _) = await RunAsync("status");

        Assert.Equal(0, registered);
        Assert.Contains("Registered collector", registerOutput);
        var file = Path.Combine(home.FullName, "credentials.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        using var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        Assert.StartsWith("cs_live_", credentials.RootElement.GetProperty("api_key").GetString());
        Assert.Equal(workspace, credentials.RootElement.GetProperty("workspace_id").GetGuid());
        Assert.Equal(0, status);
        Assert.Contains("active:     yes", statusOutput);
        Assert.DoesNotContain(credentials.RootElement.GetProperty("api_key").GetString()!, statusOutput);
    }

    [Fact]
    public async Task Register_without_a_token_in_a_closed_workspace_fails_with_a_clear_message()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);

        var (exit, _, errors) = await RunAsync("register", "--server", ServerUrl, "--workspace", workspace.ToString());

        Assert.Equal(1, exit);
        Assert.Contains("enrollment token", errors);
        Assert.False(File.Exists(Path.Combine(home.FullName, "credentials.json")));
    }

    [Fact]
    public async Task Status_says_so_when_the_key_was_revoked()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        var (registered, _, _) = await RunAsync("register", "--server", ServerUrl, "--workspace", workspace.ToString(), "--token", await EnrollmentTokenAsync(workspace));
        Assert.Equal(0, registered);
        var stored = await new CredentialStore(new CollectorHome(home.FullName)).LoadAsync(CancellationToken.None);
        using var admin = App.CreateAdminClient();
        (await admin.PostAsync($"/api/collectors/{stored!.CollectorId}/revoke", null)).EnsureSuccessStatusCode();

        var (exit, _, errors) = await RunAsync("status");

        Assert.Equal(2, exit);
        Assert.Contains("Register again", errors);
    }

    [Fact]
    public async Task Scan_json_reports_the_logs_token_totals_as_ccusage_does()
    {
        var logs = Path.Combine(AppContext.BaseDirectory, "Fixtures", "claude", "projects");

        var (exit, output, _) = await RunAsync("scan", logs, "--json");

        Assert.Equal(0, exit);
        using var scan = JsonDocument.Parse(output);
        var root = scan.RootElement;
        Assert.Equal(2, root.GetProperty("files").GetInt32());
        Assert.Equal(2, root.GetProperty("sessions").GetInt32());
        Assert.Equal(0, root.GetProperty("malformed_lines").GetInt32());
        Assert.True(root.GetProperty("tool_calls").GetInt64() > 0);
        // ccusage 20.0.24 on these two files: 131,559 tokens, all claude-opus-4-6 on 2026-02-10.
        var tokens = root.GetProperty("tokens");
        Assert.Equal(57, tokens.GetProperty("input").GetInt64());
        Assert.Equal(225, tokens.GetProperty("output").GetInt64());
        Assert.Equal(31_531, tokens.GetProperty("cache_creation").GetInt64());
        Assert.Equal(99_746, tokens.GetProperty("cache_read").GetInt64());
        Assert.Equal(131_559, root.GetProperty("by_day").GetProperty("2026-02-10").GetProperty("total").GetInt64());
        Assert.Equal(131_559, root.GetProperty("by_model").GetProperty("claude-opus-4-6").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Scan_of_a_missing_path_is_a_clear_error()
    {
        var (exit, _, errors) = await RunAsync("scan", Path.Combine(home.FullName, "nowhere"));

        Assert.Equal(1, exit);
        Assert.Contains("No such file or folder", errors);
    }

    public void Dispose() => home.Delete(recursive: true);

    private string ServerUrl => App.CreateHttpClient(ResourceNames.Api).BaseAddress!.ToString().TrimEnd('/');

    private async Task<string> EnrollmentTokenAsync(Guid workspace)
    {
        using var admin = App.CreateAdminClient();
        using var response = await admin.PostAsJsonAsync($"/api/workspaces/{workspace}/enrollment-tokens", new { });
        response.EnsureSuccessStatusCode();
        return (await CollectorClient.ReadJsonAsync(response)).GetProperty("token").GetString()!;
    }

    private async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await CollectorCommands.Build(new CollectorHome(home.FullName), output, errors).Parse(args).InvokeAsync();
        return (exit, output.ToString(), errors.ToString());
    }
}
