using CatSyphon.AppHost;
using CatSyphon.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);
builder.StopsWhenAFixedPortIsTaken();

// Infrastructure
var infrastructure = InfrastructureModeSelector.Select(builder);
var database = builder.AddCatSyphonDatabase(infrastructure);
var redis = builder.AddCatSyphonRedis(infrastructure);
var adminToken = builder.AddAdminToken();
var publicUrl = builder.AddPublicUrl();
var llmApiKey = builder.AddOptionalLlmApiKey();

// Services
// Also Redis: the migration step drops session states that claim more than a restored PostgreSQL holds.
var migrations = builder.AddProject<Projects.CatSyphon_MigrationService>(ResourceNames.Migrations)
    .WithCatSyphonDefaults()
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis);

var api = builder.AddProject<Projects.CatSyphon_ApiService>(ResourceNames.Api)
    .WithCatSyphonDefaults()
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WaitForCompletion(migrations)
    .WithEnvironment("Admin__Token", adminToken)
    // Sign-in through the organization's OpenID Connect provider, when the app host is given an Oidc section: the API
    // checks the ID tokens and the web runs the flow, so both get the same settings.
    .WithOidcSettings(builder.Configuration)
    .WithPublicUrl(publicUrl)
    .WithSessionSettings(builder.Configuration)
    .WithLlmStatus(builder.Configuration, llmApiKey)
    .WithCollectorFeed(builder)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck(ProbePaths.Readiness)
    .WithConfiguredReplicas(builder.Configuration, ScaleSettings.ApiReplicasKey);

builder.AddProject<Projects.CatSyphon_Worker>(ResourceNames.Worker)
    .WithCatSyphonDefaults()
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WaitForCompletion(migrations)
    .WithSessionSettings(builder.Configuration)
    .WithLlmKey(builder.Configuration, llmApiKey)
    .WithHttpHealthCheck(ProbePaths.Readiness)
    .WithConfiguredReplicas(builder.Configuration, ScaleSettings.WorkerReplicasKey);

// Apps
builder.AddProject<Projects.CatSyphon_Web>(ResourceNames.Web)
    .WithCatSyphonDefaults()
    // Redis holds the web's sign-in sessions and data-protection keys, shared by its replicas.
    .WithReference(redis).WaitFor(redis)
    .WithReference(api).WaitFor(api)
    .WithOidcSettings(builder.Configuration)
    // The address developers' collectors use, for the set-up commands the web front end shows.
    .WithCollectorServerUrl(publicUrl, api)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck(ProbePaths.Liveness)
    .WithConfiguredReplicas(builder.Configuration, ScaleSettings.WebReplicasKey);

using var app = builder.Build();
return app.RunToExitCode();
