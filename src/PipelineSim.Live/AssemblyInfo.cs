namespace PipelineSim.Live;
