using PipelineSim.Cli;

return PipelineSimApp.Create().Run(args);
