namespace PipelineSim.Model;
