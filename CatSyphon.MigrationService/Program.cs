using CatSyphon.Data;
using CatSyphon.MigrationService;

// Applies the EF Core migrations of CatSyphon.Data and checks that Redis claims no more than PostgreSQL holds
// (RestoreGuard), then exits: 0 when done, 1 on failure. The app host starts the other services only after it
// completed successfully.
var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDbContext<CatSyphonDbContext>(
    CatSyphonDbContext.ConnectionName,
    configureDbContextOptions: CatSyphonDbContext.Configure);
builder.AddCatSyphonRedisClient();
builder.Services.AddHostedService<DatabaseMigrator>();

builder.Build().Run();
