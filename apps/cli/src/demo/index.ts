export { DEMO_PROMPT, SAMPLE_DIR, SAMPLE_FIX } from './sample.js'
export {
  createScriptedAdapter,
  nextStep,
  type PlannedCall,
  SCRIPTED_API,
  type ScriptedAdapterOptions,
  type Step,
  scriptedModel,
} from './scripted-model.js'
