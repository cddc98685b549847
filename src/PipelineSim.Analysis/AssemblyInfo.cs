namespace PipelineSim.Analysis;
