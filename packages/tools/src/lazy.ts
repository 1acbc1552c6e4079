/**
 * Modules behind some tools that pull in sizeable libraries (RE2, glob matching and .gitignore
 * rules, diffing), loaded when a call first needs them. Defining the tools — all a model request
 * needs — then loads none of them, so `penguin run` sends its first request sooner.
 */
export const loadWalk = () => import('./walk.js')
export const loadLineRegex = () => import('./line-regex.js')
export const loadChange = () => import('./change.js')
export const loadPatchPlan = () => import('./patch/plan-patch.js')
