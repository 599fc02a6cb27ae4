/** The environment variable that turns every speed trick off when set to `off`. */
export declare const SPEED_TRICKS_VARIABLE: "BLUEGREEN_SPEED_TRICKS";
/** Whether the speed tricks are on (the default). */
export declare function speedTricksOn(env?: NodeJS.ProcessEnv): boolean;
