using CatSyphon.ApiService.Apis;
using CatSyphon.ApiService.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapOpenApi();
app.MapWorkspacesApi();
app.MapCollectorsAdminApi();
app.MapCollectorsApi();
app.MapEventsApi();
app.MapIngestionApi();
app.MapUploadsApi();
app.MapStatsApi();
app.MapPlansApi();
app.MapToolUsageApi();
app.MapProjectFilesApi();
app.MapConversationMessagesApi();
app.MapDefaultEndpoints();

app.Run();
