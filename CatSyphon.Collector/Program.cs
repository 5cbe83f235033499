using CatSyphon.Collector.Commands;

return await CollectorCommands.Build().Parse(args).InvokeAsync();
