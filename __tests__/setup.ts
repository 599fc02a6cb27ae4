// Registers the cdktf jest matchers (toHaveResource, toHaveResourceWithProperties, ...) for every test file.
import { Testing } from "cdktf";

Testing.setupJest();
