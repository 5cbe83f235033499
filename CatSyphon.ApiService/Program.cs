using CatSyphon.ApiService.Apis;
using CatSyphon.ApiService.Infrastructure;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseQueryStringValidation();
app.UseRateLimiter();

app.MapOpenApi();
if (app.Environment.IsDevelopment())
{
    // The interactive API reference, at /scalar, over the OpenAPI document at /openapi/v1.json.
    app.MapScalarApiReference();
}

app.MapWorkspacesApi();
app.MapCollectorsAdminApi();
app.MapCollectorsApi();
app.MapEventsApi();
app.MapIngestionApi();
app.MapUploadsApi();
app.MapStatsApi();
app.MapPlansApi();
app.MapToolUsageApi();
app.MapProjectsApi();
app.MapProjectFilesApi();
app.MapConversationsApi();
app.MapConversationMessagesApi();
app.MapActivityStatsApi();
app.MapDefaultEndpoints();

app.Run();
