using CatSyphon.Data;
using CatSyphon.MigrationService;

// Applies the EF Core migrations of CatSyphon.Data, then exits: 0 when the schema is current,
// 1 on failure. The app host starts the other services only after it completed successfully.
var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDbContext<CatSyphonDbContext>(
    CatSyphonDbContext.ConnectionName,
    configureDbContextOptions: CatSyphonDbContext.Configure);
builder.Services.AddHostedService<DatabaseMigrator>();

builder.Build().Run();
