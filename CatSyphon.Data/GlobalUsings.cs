// The model's configurations and conventions are all written against EF Core's builders.
global using Microsoft.EntityFrameworkCore;
global using Microsoft.EntityFrameworkCore.Metadata.Builders;
