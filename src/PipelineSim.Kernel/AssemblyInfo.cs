namespace PipelineSim.Kernel;
