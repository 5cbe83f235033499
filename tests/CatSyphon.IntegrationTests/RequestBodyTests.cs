using static CatSyphon.IntegrationTests.QueryValidationTests;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// Bodies: strings a person or a client sends never reach PostgreSQL with a NUL, PATCH names what it will not
/// change, and a body is bounded per endpoint and refused before it is read when the caller is not authorized.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class RequestBodyTests(RunningStackFixture stack)
{
    private const int LargeBody = 30 * 1024 * 1024;

    [Fact]
    public async Task A_workspace_name_holding_a_nul_is_422_and_a_collector_field_is_sanitized_not_500()
    {
        using var admin = stack.App.CreateAdminClient();
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App, "open");

        await AssertValidationProblemAsync(await admin.PostAsJsonAsync("/api/workspaces", new { name = "Te\0am", slug = $"nul-{Guid.NewGuid():N}"[..20] }), "name");
        await AssertValidationProblemAsync(await admin.PatchAsJsonAsync($"/api/workspaces/{workspace}", new { name = "Te\0am" }), "name");
        // The protocol's strings are sanitized (NUL -> U+FFFD), as events are.
        using var registered = await admin.PostAsJsonAsync("/collectors", new
        {
            collector_type = "test", collector_version = "1.0\0", hostname = "host", workspace_id = workspace,
        });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    [Fact]
    public async Task Patching_a_workspace_with_fields_it_does_not_change_is_422_naming_them_and_changes_nothing()
    {
        using var admin = stack.App.CreateAdminClient();
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);

        using var response = await admin.PatchAsJsonAsync($"/api/workspaces/{workspace}", new { name = "Renamed", slug = "other", colour = "red" });

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("\"slug\"", body);
        Assert.Contains("\"colour\"", body);
        var stored = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/workspaces/{workspace}"));
        Assert.Equal("Team", stored.GetProperty("name").GetString());
    }

    /// <summary>
    /// Sent with <c>Expect: 100-continue</c>, a body the server does not ask for is never sent: the count of bytes
    /// the client sent shows whether the server read it before refusing.
    /// </summary>
    [Theory]
    [InlineData("/api/workspaces", null, HttpStatusCode.Unauthorized)]
    [InlineData("/api/workspaces", "not-the-admin-token", HttpStatusCode.Unauthorized)]
    [InlineData("/collectors/events", "cs_live_not-a-key", HttpStatusCode.Unauthorized)]
    [InlineData("/api/uploads?workspace_id=00000000-0000-0000-0000-000000000001", null, HttpStatusCode.Unauthorized)]
    [InlineData("/collectors", null, HttpStatusCode.RequestEntityTooLarge)]
    [InlineData("/collectors", "not-the-admin-token", HttpStatusCode.RequestEntityTooLarge)]
    public async Task A_large_body_is_refused_before_it_is_read(string path, string? token, HttpStatusCode expected)
    {
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = stack.App.CreateHttpClient(ResourceNames.Api).BaseAddress,
        };
        var body = new CountingStream(LargeBody);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StreamContent(body) };
        // Uploads accept only multipart bodies (routing answers 415 to others, also before reading them).
        request.Content.Headers.ContentType = path.StartsWith("/api/uploads", StringComparison.Ordinal)
            ? MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x")
            : new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentLength = LargeBody;
        request.Headers.ExpectContinue = true;
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var stopwatch = Stopwatch.StartNew();
        using var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, body.Sent);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task An_authorized_json_body_is_bounded_too()
    {
        using var admin = stack.App.CreateAdminClient();
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);

        using var response = await admin.PatchAsJsonAsync($"/api/workspaces/{workspace}", new { name = new string('x', 100 * 1024) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    /// <summary>A body of zeros that counts what the client sent.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long Sent { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => Sent; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Sent);
            Array.Clear(buffer, offset, n);
            Sent += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
