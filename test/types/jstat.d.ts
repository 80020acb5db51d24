/** The part of jStat's API the tests use (the package ships no types; it is a CommonJS default export). */
declare module "jstat" {
  const jStat: {
    normal: {
      inv(p: number, mean: number, std: number): number;
      cdf(x: number, mean: number, std: number): number;
    };
  };
  export default jStat;
}
