namespace PipelineSim.Scenarios;
