// The worker's own namespaces come from its GlobalUsings.cs, linked into this project (see the project file).
global using CatSyphon.Worker.Tests.Infrastructure;
